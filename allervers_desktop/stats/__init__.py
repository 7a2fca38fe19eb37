"""Statistics for the dashboard and the reports (tableau de bord, bilans), in SQL, no Qt."""
