package tui

import "time"

// common is what every component shares (soft-serve's Common): styles, keys,
// the clock and the current spinner frame. Components hold a pointer, so a
// restyle (light/dark answer, NO_COLOR) reaches all of them at once.
type common struct {
	styles   Styles
	keys     KeyMap
	now      func() time.Time
	readOnly bool
	// spin is the spinner frame of this render, shown next to whatever is
	// still loading.
	spin string
}
