package skillarena

import (
	"fmt"
	"strconv"
	"strings"
)

// Points is an exact score or weight in hundredths of a point: 8725 is 87.25.
// Scores are never float64 (DESIGN.md); finer arithmetic (averages) uses
// math/big.Rat and rounds once at the end.
type Points int64

// MaxPoints bounds any single stored figure (one million points).
const MaxPoints Points = 100_000_000

// ParsePoints reads a decimal with at most two places ("2", "2.5", "87.25").
// It refuses signs, exponents, more than two places and figures above
// MaxPoints.
func ParsePoints(s string) (Points, error) {
	s = strings.TrimSpace(s)
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && (frac == "" || len(frac) > 2)) {
		return 0, fmt.Errorf("points %q: want a number with at most two decimal places", s)
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("points %q: want a number with at most two decimal places", s)
		}
	}
	if len(whole) > 7 {
		return 0, fmt.Errorf("points %q: too large", s)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	p := Points(w*100 + f)
	if p > MaxPoints {
		return 0, fmt.Errorf("points %q: too large", s)
	}
	return p, nil
}

// String formats p with two decimal places: "87.25", "2.00".
func (p Points) String() string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	return fmt.Sprintf("%s%d.%02d", sign, int64(p)/100, int64(p)%100)
}

// MarshalText writes the decimal string, so JSON carries "87.25", never a number.
func (p Points) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads the decimal string form.
func (p *Points) UnmarshalText(b []byte) error {
	v, err := ParsePoints(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
