//go:build race

package testsite

// raceEnabled lets heavy tests scale down under the (much slower) race detector.
const raceEnabled = true
