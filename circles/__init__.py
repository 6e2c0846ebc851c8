"""Peer circles of 5-7 learners in a cohort: formation, review, publication and each
circle's page."""
