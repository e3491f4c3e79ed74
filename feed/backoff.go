package feed

import (
	"math/rand/v2"
	"time"
)

// backoff yields exponential delays with ±50 % jitter: 1 s doubling to 30 s
// (or min doubling to 30 × min).
type backoff struct {
	min     time.Duration
	attempt int
}

const (
	backoffMin = time.Second
	backoffMax = 30 * time.Second
)

func newBackoff() *backoff { return newBackoffFrom(backoffMin) }

func newBackoffFrom(first time.Duration) *backoff { return &backoff{min: first} }

func (b *backoff) reset() { b.attempt = 0 }

func (b *backoff) next() time.Duration {
	d := b.min << min(b.attempt, 10)
	if ceiling := b.min * (backoffMax / backoffMin); d > ceiling {
		d = ceiling
	}
	b.attempt++
	jitter := 0.5 + rand.Float64() // 0.5 .. 1.5
	return time.Duration(float64(d) * jitter)
}
