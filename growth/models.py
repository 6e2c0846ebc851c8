"""Growth tools (issue 8): goals against the leadership model, mindset routines and check-ins,
the team charter, difficult-conversation plans and debriefs, emotion and energy check-ins."""
