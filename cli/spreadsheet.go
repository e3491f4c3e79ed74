package cli

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"

	"callboard/state"
)

// csvStyle is how report writes its CSV for the spreadsheet that opens
// it: the separator, the decimal mark of every decimal figure, and
// whether a UTF-8 byte-order mark comes first (Excel reads a file without
// one in the machine's legacy code page: paused_Déjeuner_s comes out
// paused_DÃ©jeuner_s).
type csvStyle struct {
	comma   rune
	decimal byte // '.' or ','
	bom     bool
}

// byteOrderMark is UTF-8's, the first bytes of a file written with --bom.
const byteOrderMark = "\ufeff"

// pointStyle is the default CSV: commas, decimal points, no mark.
var pointStyle = csvStyle{comma: ',', decimal: '.'}

// csvFlags are report's flags that choose its csvStyle.
type csvFlags struct {
	sep, decimal *string
	bom, excel   *bool
}

func newCSVFlags(fs *flag.FlagSet) csvFlags {
	return csvFlags{
		sep:     fs.String("sep", ",", "the field separator: , ; | or a tab (\\t or tab) (';' for spreadsheets set to French)"),
		decimal: fs.String("decimal", ".", "the decimal mark of decimal figures: . or , (a comma needs another --sep)"),
		bom:     fs.Bool("bom", false, "write a UTF-8 byte-order mark first, so that Excel reads accents right"),
		excel:   fs.Bool("excel", false, "for a spreadsheet set to French: --bom --sep ';' --decimal , (a flag given as well wins)"),
	}
}

// style is the csvStyle the flags of fs ask for: --excel's, where it is
// given, under the flags given beside it. A decimal comma with the comma
// as separator is refused (usage error): each would read as the other.
func (f csvFlags) style(fs *flag.FlagSet) (csvStyle, error) {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	sep, decimal, bom := *f.sep, *f.decimal, *f.bom
	if *f.excel {
		if !given["sep"] {
			sep = ";"
		}
		if !given["decimal"] {
			decimal = ","
		}
		if !given["bom"] {
			bom = true
		}
	}
	comma, err := separator(sep)
	if err != nil {
		return csvStyle{}, err
	}
	if decimal != "." && decimal != "," {
		return csvStyle{}, fmt.Errorf("--decimal %q: want . or ,", decimal)
	}
	if decimal == "," && comma == ',' {
		if *f.excel && !given["decimal"] {
			return csvStyle{}, errors.New("--excel writes decimal commas, and --sep , makes the comma the separator: add --decimal . or choose another --sep (; | tab)")
		}
		return csvStyle{}, errors.New("--decimal , with --sep ,: the comma cannot be both the decimal mark and the separator; choose another --sep (; | tab), or --excel")
	}
	return csvStyle{comma: comma, decimal: decimal[0], bom: bom}, nil
}

// float is x rounded to places decimals, as the snapshot rounds them,
// with the style's decimal mark.
func (st csvStyle) float(x float64, places int) string {
	p := math.Pow(10, float64(places))
	s := strconv.FormatFloat(math.Round(x*p)/p, 'f', places, 64)
	if st.decimal != '.' {
		s = strings.Replace(s, ".", string(st.decimal), 1)
	}
	return s
}

// text is outside text (a name, a caller, a label, an id) as a CSV
// field: control characters stripped (state.Sanitize), and a value that a
// spreadsheet would take for a formula (it begins with =, +, - or @ and is
// not a number written with the style's decimal mark) prefixed with ' so
// that it stays text.
func (st csvStyle) text(s string) string {
	s = state.Sanitize(s)
	t := strings.TrimLeft(s, " ")
	if t != "" && strings.ContainsRune("=+-@", rune(t[0])) && !st.isDecimal(t) {
		return "'" + s
	}
	return s
}

// isDecimal reports whether s is a number a spreadsheet reads as one:
// an optional sign, digits, and an optional fraction after the style's
// decimal mark.
func (st csvStyle) isDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	whole, frac, mark := strings.Cut(s, string(st.decimal))
	return whole != "" && digits(whole) && (!mark || frac != "" && digits(frac))
}
