"""Posts whose stored HTML holds a heading (`<h2>` to `<h4>`, from "## …" in their Markdown) are
rendered again: people's headings are bold paragraphs now (rapport.lib.markdown,
render_untrusted_markdown), so a post's text no longer breaks the page's outline."""

from typing import Any

from django.db import migrations

BATCH = 500


def render_again(apps: Any, schema_editor: Any) -> None:
    """The stored HTML of every post that holds a heading, rendered by the app's renderer, in
    batches by id (few posts: the filter reads the column, the rest is left as it is)."""
    from discussions.rendering import render_post_html

    Post = apps.get_model("discussions", "Post")
    table = schema_editor.quote_name(Post._meta.db_table)
    last = 0
    while True:
        rows = list(
            Post.objects.filter(pk__gt=last, body_html__contains="<h")
            .order_by("pk")
            .values_list("pk", "body")[:BATCH]
        )
        if not rows:
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET body_html = %s WHERE id = %s",
                [(render_post_html(text), pk) for pk, text in rows],
            )
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("discussions", "0003_stored_html_and_counts")]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop, elidable=True)]
