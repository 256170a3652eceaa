"""The browser UI: static HTML/JS/CSS bundled in the package (no CDN; the machine is offline)."""
