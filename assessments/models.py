"""Assessments (issue 10): self, peer and coach ratings of the organisation's competency behaviours
at baseline, at the end and a year later, and structured peer feedback the learner asks for."""
