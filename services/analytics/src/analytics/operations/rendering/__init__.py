"""Reports as files people open: CSV and XLSX tables, PNG and SVG charts."""
