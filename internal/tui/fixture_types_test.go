package tui

import (
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// factsFixture is one scenario's facts as the gatherer read them from moto.
type factsFixture struct {
	Scenario   string       `json:"scenario"`
	Title      string       `json:"title"`
	CapturedAt time.Time    `json:"capturedAt"`
	Facts      *facts.Facts `json:"facts"`
}
