"""« Tableau de bord »: filters, figures and charts (pyqtgraph is imported here only, lazily)."""
