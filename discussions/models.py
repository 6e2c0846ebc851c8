"""Threads per discussion prompt, circle and cohort community space: posts, replies, reactions,
drafts.
"""
