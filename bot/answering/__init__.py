"""Answering questions from the knowledge base, the question log and its curation."""
