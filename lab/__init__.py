"""Descent Lab's app logic, free of Streamlit: configurations, their URL form, races, tables.

Pages call these functions and render what they return; everything here is unit-tested
without a browser or a Streamlit session.
"""
