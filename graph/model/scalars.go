package model

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
)

// Decimal is an exact decimal number, the GraphQL scalar `Decimal`: written as a JSON string of
// digits with an optional sign and decimal point, never in exponent form, so no client parses
// it into a float on the way. The zero value is 0.
type Decimal struct {
	// text is the canonical form: no leading zeros, no trailing zeros after the point, no point
	// without digits after it, no sign on zero.
	text string
}

// decimalPattern is what a Decimal accepts as text.
var decimalPattern = regexp.MustCompile(`^([+-]?)([0-9]+)(?:\.([0-9]+))?$`)

// maxDecimalDigits bounds the digits of an input Decimal, so a huge string costs nothing.
const maxDecimalDigits = 40

// ParseDecimal reads a decimal number such as `1250000`, `-3.5` or `0.125`.
func ParseDecimal(s string) (Decimal, error) {
	m := decimalPattern.FindStringSubmatch(s)
	if m == nil {
		return Decimal{}, fmt.Errorf("%q is not a decimal number (digits, an optional sign and decimal point, no exponent: \"1250000.50\")", truncateText(s))
	}
	if len(m[2])+len(m[3]) > maxDecimalDigits {
		return Decimal{}, fmt.Errorf("a decimal number has at most %d digits, got %d", maxDecimalDigits, len(m[2])+len(m[3]))
	}
	whole := strings.TrimLeft(m[2], "0")
	if whole == "" {
		whole = "0"
	}
	text := whole
	if frac := strings.TrimRight(m[3], "0"); frac != "" {
		text += "." + frac
	}
	if m[1] == "-" && text != "0" {
		text = "-" + text
	}
	return Decimal{text: text}, nil
}

// DecimalFromFloat is the decimal a stored number was written as: the shortest digits that read
// back as the same float64, which are the digits of the text it was parsed from whenever that
// text had at most 15 significant digits (every amount the graph holds). It is the only way a
// float enters a Decimal; nothing adds or multiplies floats.
func DecimalFromFloat(f float64) Decimal {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Decimal{}
	}
	d, _ := ParseDecimal(strconv.FormatFloat(f, 'f', -1, 64))
	return d
}

// DecimalFromHundredths is n hundredths of a unit (n = 1234 gives 12.34).
func DecimalFromHundredths(n int64) Decimal {
	sign, abs := "", strconv.FormatUint(uint64(n), 10)
	if n < 0 {
		sign, abs = "-", strconv.FormatUint(uint64(-n), 10)
	}
	for len(abs) < 3 {
		abs = "0" + abs
	}
	d, _ := ParseDecimal(sign + abs[:len(abs)-2] + "." + abs[len(abs)-2:])
	return d
}

// Hundredths is d in hundredths of a unit, rounded half away from zero (12.345 gives 1235,
// -0.005 gives -1); false when it does not fit in an int64.
func (d Decimal) Hundredths() (int64, bool) {
	m := decimalPattern.FindStringSubmatch(d.String())
	frac := m[3] + "000"
	n, ok := new(big.Int).SetString(m[2]+frac[:2], 10)
	if !ok {
		return 0, false
	}
	if frac[2] >= '5' {
		n.Add(n, big.NewInt(1))
	}
	if m[1] == "-" {
		n.Neg(n)
	}
	if !n.IsInt64() {
		return 0, false
	}
	return n.Int64(), true
}

// Add is the exact sum of two decimals.
func (d Decimal) Add(e Decimal) Decimal {
	a, _ := new(big.Rat).SetString(d.String())
	b, _ := new(big.Rat).SetString(e.String())
	sum, _ := ParseDecimal(a.Add(a, b).FloatString(max(d.fractionDigits(), e.fractionDigits())))
	return sum
}

// fractionDigits is how many digits d has after the point.
func (d Decimal) fractionDigits() int {
	if i := strings.IndexByte(d.String(), '.'); i >= 0 {
		return len(d.String()) - i - 1
	}
	return 0
}

// String is the canonical text: `40000000`, `12.5`, `-0.25`.
func (d Decimal) String() string {
	if d.text == "" {
		return "0"
	}
	return d.text
}

// Float64 is the nearest float64, for comparing with numbers the graph stores (a comparison,
// never arithmetic: the stored number was read from the same text by the same rounding).
func (d Decimal) Float64() float64 {
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// MarshalGQL writes the decimal as a JSON string.
func (d Decimal) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(d.String()))
}

// UnmarshalGQL reads a Decimal input: a string, or for convenience an integer. A floating-point
// number is refused, as it may already have lost digits on its way. Errors are BAD_USER_INPUT.
func (d *Decimal) UnmarshalGQL(v any) error {
	if err := d.unmarshal(v); err != nil {
		return inputError("%v", err)
	}
	return nil
}

func (d *Decimal) unmarshal(v any) error {
	var err error
	switch x := v.(type) {
	case string:
		*d, err = ParseDecimal(strings.TrimSpace(x))
	case json.Number:
		if strings.ContainsAny(string(x), ".eE") {
			return fmt.Errorf("a Decimal is a string such as \"%s\", not the floating-point number %s", x, x)
		}
		*d, err = ParseDecimal(string(x))
	case int:
		*d, err = ParseDecimal(strconv.FormatInt(int64(x), 10))
	case int64:
		*d, err = ParseDecimal(strconv.FormatInt(x, 10))
	case float64:
		return fmt.Errorf("a Decimal is a string such as \"%s\", not the floating-point number %v", strconv.FormatFloat(x, 'f', -1, 64), x)
	default:
		return fmt.Errorf("a Decimal is a string of digits such as \"1250000.50\" or an integer, got %T", v)
	}
	return err
}

// dateLayout is an ISO 8601 calendar date.
const dateLayout = "2006-01-02"

// MarshalDate writes a stored ISO date as a JSON string: the GraphQL scalar `Date` is an ISO 8601
// calendar date (`2015-11-12`), carried in Go as that text.
func MarshalDate(s string) graphql.Marshaler {
	return graphql.MarshalString(s)
}

// UnmarshalDate reads a Date input: a string holding a real calendar day, YYYY-MM-DD; errors are
// BAD_USER_INPUT.
func UnmarshalDate(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", inputError("a Date is a string such as \"2016-01-31\", got %T", v)
	}
	s = strings.TrimSpace(s)
	if _, err := time.Parse(dateLayout, s); err != nil || len(s) != len(dateLayout) {
		return "", inputError("%q is not an ISO date (YYYY-MM-DD, a real calendar day)", truncateText(s))
	}
	return s, nil
}

// MarshalDateTime writes a stored ISO 8601 date and time as a JSON string.
func MarshalDateTime(s string) graphql.Marshaler {
	return graphql.MarshalString(s)
}

// UnmarshalDateTime reads a DateTime input: RFC 3339 (ISO 8601 with a time zone),
// `2021-05-01T12:00:00Z`; errors are BAD_USER_INPUT.
func UnmarshalDateTime(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", inputError("a DateTime is a string such as \"2021-05-01T12:00:00Z\", got %T", v)
	}
	s = strings.TrimSpace(s)
	if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
		return "", inputError("%q is not an ISO 8601 date and time with a time zone (\"2021-05-01T12:00:00Z\")", truncateText(s))
	}
	return s, nil
}

// InputError is a scalar's refusal of an input value (BAD_USER_INPUT through the apperr.Error it
// wraps); the error presenter names the argument's path in front of the message.
type InputError struct{ cause *apperr.Error }

func (e *InputError) Error() string { return e.cause.Message }

// Unwrap gives the apperr.Error, so apperr.CodeOf finds BAD_USER_INPUT.
func (e *InputError) Unwrap() error { return e.cause }

func inputError(format string, args ...any) error {
	return &InputError{apperr.BadInput(format, args...)}
}

// truncateText keeps error messages short when the input is long.
func truncateText(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
