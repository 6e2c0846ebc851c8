"""Coaching (issue 9): coaches' availability and the sessions learners book with them, and,
as the issue lands, matching, caseloads, confidential messages, notes and action plans."""
