"""Maps: the needs map and its controls and side panel, map elements, the offline Leaflet, access and cohort maps."""
