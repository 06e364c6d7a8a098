"""Painters for cards, chips, bars, sparklines, charts and concept diagrams.

QPainter and QtGui only: no QObject, no QtWidgets, so the canvas items and the PDF report
draw with the same code, and nothing here ties a picture to a scene or a window.
"""
