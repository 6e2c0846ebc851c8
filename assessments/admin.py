"""No studio pages: answers are their raters' (and the learner's, through My growth over time
only); admins see aggregates in the analytics app. Rounds are scheduled from cohort dates."""
