// Package tui is the interactive troubleshooter.
package tui
