"""The floor for first-load timings: a bare Streamlit page with one tiny Plotly chart.

bench/browser_timing.py loads it beside the Playground, in the same run, so the Playground's
first-load time can be read against what Streamlit and plotly.js cost on their own.
"""
import plotly.graph_objects as go
import streamlit as st

st.write("baseline")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2], y=[1, 2])))
