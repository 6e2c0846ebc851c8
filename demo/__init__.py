"""The demo organisation: Northwind Biopharma running the 7-week coaching-skills journey.

`content` is the programme (original text, in the voice of docs/seeds, one module per week),
`people` makes plausible, diverse, deterministic people, `media` renders the video and podcasts
locally, `planner` decides what each learner has done, `bulk` writes many rows quickly, and `seed`
puts it all in the database quickly enough for 100,000 learners. `manage.py seed_demo` is the
entry point. Not part of the product: nothing outside this package imports it.
"""
