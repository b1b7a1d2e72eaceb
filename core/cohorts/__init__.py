"""Pooling needs into classes that can start: the cohort finder and its solvers."""
