"""Streamlit pages of the cityqa app (the only code that imports streamlit)."""
