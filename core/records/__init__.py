"""What a record must hold and who may touch it: users and roles (audience), checks of companies, needs, efforts and
visits (validation), the moves of a need through the pipeline."""
