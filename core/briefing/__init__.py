"""The politicians' brief: its content, its text, and the PDF and the deck made from it."""
