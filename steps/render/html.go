package render

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"status": statusLabel,
	"stClass": func(s string) string {
		if s == string(steps.StatusNA) {
			return "st-na"
		}
		return "st-" + s
	},
	"open":      func(s steps.Status) bool { return s.Open() },
	"code":      inlineCode,
	"plural":    plural,
	"scoreDone": scoreDone,
}).Parse(htmlSource))

// HTML writes the report as one self-contained page (inline CSS and SVG,
// nothing fetched), laid out for screen and print.
func HTML(w io.Writer, r Report, o Options) error {
	v := build(r, o)
	return htmlTemplate.Execute(w, struct {
		view
		SVG template.HTML
	}{v, scoreChart(v.Chart)})
}

// inlineCode escapes s (on one line, every unsafe character visible) and
// turns `quoted` spans into <code>.
func inlineCode(s string) template.HTML {
	parts := strings.Split(safetext.Line(s), "`")
	var b strings.Builder
	for i, p := range parts {
		esc := template.HTMLEscapeString(p)
		if i%2 == 1 && i < len(parts)-1 {
			b.WriteString("<code>" + esc + "</code>")
		} else {
			if i%2 == 1 {
				b.WriteString("`")
			}
			b.WriteString(esc)
		}
	}
	return template.HTML(b.String())
}

// scoreChart draws the score per run as an SVG bar chart.
func scoreChart(points []chartPoint) template.HTML {
	const (
		width, height    = 720, 230
		left, right      = 44, 12
		top, bottom      = 22, 182 // y of 100% and of 0%
		plotW            = width - left - right
		plotH            = bottom - top
		maxBarW, minGapW = 56, 6
	)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">`, width, height)
	desc := make([]string, len(points))
	for i, p := range points {
		desc[i] = fmt.Sprintf("%s: %d%%", p.Date, p.Percent)
	}
	fmt.Fprintf(&b, `<title id="chart-title">Score per run. %s</title>`, template.HTMLEscapeString(safetext.Line(strings.Join(desc, ", "))))
	for _, pct := range []int{0, 25, 50, 75, 100} {
		y := bottom - plotH*pct/100
		fmt.Fprintf(&b, `<line class="grid" x1="%d" y1="%d" x2="%d" y2="%d"/>`, left, y, width-right, y)
		fmt.Fprintf(&b, `<text class="axis" x="%d" y="%d" text-anchor="end">%d%%</text>`, left-6, y+4, pct)
	}
	n := max(len(points), 1)
	slot := float64(plotW) / float64(n)
	barW := min(float64(maxBarW), slot-minGapW)
	shortDates := n > 8
	for i, p := range points {
		h := float64(plotH) * float64(p.Percent) / 100
		x := float64(left) + slot*float64(i) + (slot-barW)/2
		cx := x + barW/2
		class := "bar " + scoreClass(p.Percent)
		if p.Current {
			class += " current"
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="3"><title>%s: %d%%</title></rect>`,
			class, x, float64(bottom)-h, barW, max(h, 1), template.HTMLEscapeString(safetext.Line(p.Time)), p.Percent)
		fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%.1f" text-anchor="middle">%d%%</text>`, cx, float64(bottom)-h-6, p.Percent)
		label := p.Date
		if shortDates {
			label = p.Date[5:] // MM-DD
		}
		if n <= 14 || i%2 == (n-1)%2 { // thin the labels when crowded, keep the last
			fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%d" text-anchor="middle">%s</text>`, cx, bottom+18, template.HTMLEscapeString(safetext.Line(label)))
		}
		if p.Current {
			fmt.Fprintf(&b, `<text class="axis now" x="%.1f" y="%d" text-anchor="middle">this run</text>`, cx, bottom+34)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func scoreClass(pct int) string {
	switch {
	case pct >= 80:
		return "good"
	case pct >= 50:
		return "fair"
	}
	return "poor"
}
