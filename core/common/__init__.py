"""The house's vocabulary and small tools: codes of a need (models), texts in Swedish and English (i18n and its
catalogues in locales/), number and date formats, the clock, settings from the environment, free-text checks."""
