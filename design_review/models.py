"""Design review (issue 11): the reviewer of every text a learner will read or answer, in the
studio, with findings, rewrites, dismissals and the programme review."""
