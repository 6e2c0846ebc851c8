"""Experts (issue 9): office hours and ask-me-anything threads for a cohort, with questions
collected ahead and upvoted by learners, answered live or in writing."""
