"""The brokers' workspace: companies, needs, efforts, forms and import."""
