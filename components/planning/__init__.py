"""Planning training: travel to learning centres, the cohort finder and the travel matrix upload."""
