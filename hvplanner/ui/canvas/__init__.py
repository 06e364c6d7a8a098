"""The layout canvas: host cards with capacity bars, VM chips, the unplaced tray."""
