from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo generator: `manage.py seed_demo` and the content, people and media it seeds.

    Not part of the product: no models, no URLs, and nothing in a domain app imports it. Its media
    rendering needs the `demo` extra (Pillow, imageio-ffmpeg), imported only when a seed runs.
    """

    name = "demo"
    verbose_name = "Demo organisation"
