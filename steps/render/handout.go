package render

import (
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"
	"net/url"
	"regexp"
	"strings"

	"github.com/skip2/go-qrcode"

	"github.com/rootguard/rootguard/assets"
	"github.com/rootguard/rootguard/steps"
)

//go:embed handout.html.tmpl
var handoutSource string

var handoutTemplate = template.Must(template.New("handout").Funcs(template.FuncMap{
	"status":  statusLabel,
	"stClass": func(s steps.Status) string { return "st-" + strings.ReplaceAll(string(s), "/", "") },
}).Parse(handoutSource))

// handoutView is the handout laid out for its template.
type handoutView struct {
	Account, Alias, Date string
	Demo, Redacted       bool
	Score                int
	Open                 int
	Items                []handoutItem
}

type handoutItem struct {
	N                  int
	ID, Title          string
	Severity           steps.Severity
	Status             steps.Status
	Summary, BlockedBy string
	Why                string
	Fix                string // "rootguard fix ID" when rootguard can make the change
	FixNeeds           string // what must hold for it ("" when nothing)
	Intro              template.HTML
	Steps              []template.HTML
	ConsoleURL         string
	QR                 template.URL // data: URL of a PNG QR code of ConsoleURL
	RootOnly, HasGuide bool
}

// Handout writes, for every open item, its numbered console steps, its link
// and a QR code of the link, as one self-contained page laid out for A4 or
// Letter paper: a sheet to work through at a workshop or next to the
// console.
func Handout(w io.Writer, r Report, o Options) error {
	base := build(r, o)
	v := handoutView{Account: base.Account, Alias: base.Alias, Date: base.Date, Demo: r.Demo, Redacted: o.Redact,
		Score: base.Score.Percent}
	c := cleaner{account: r.Identity.Account, masked: MaskAccount(r.Identity.Account), alias: r.Identity.Alias, redact: o.Redact}
	for _, out := range r.Outcomes {
		if !steps.Listed(out.Item, out.Result) || !out.Result.Status.Open() {
			continue
		}
		v.Open++
		it := handoutItem{N: v.Open, ID: out.Item.ID, Title: out.Item.Title, Severity: out.Item.Severity,
			Status: out.Result.Status, Summary: c.clean(out.Result.Summary), Why: strings.ReplaceAll(out.Item.Why, "\n", " "),
			ConsoleURL: out.Item.ConsoleURL, RootOnly: out.Item.RootOnly}
		if f, ok := steps.FixFor(out.Item.ID); ok && f.Available() {
			it.Fix, it.FixNeeds = "rootguard fix "+out.Item.ID, f.Needs
		}
		if md, ok := assets.Guide(out.Item.ID); ok {
			g := assets.SplitGuide(md)
			it.HasGuide = true
			it.Intro = guideHTML(g.Intro)
			for _, s := range g.Steps {
				it.Steps = append(it.Steps, guideHTML(s))
			}
		}
		if it.ConsoleURL != "" {
			if png, err := qrcode.Encode(it.ConsoleURL, qrcode.Medium, 256); err == nil {
				it.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
			}
		}
		v.Items = append(v.Items, it)
	}
	return handoutTemplate.Execute(w, v)
}

var (
	guideBold = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	guideCode = regexp.MustCompile("`([^`]+)`")
	guideURL  = regexp.MustCompile(`https://[^\s<>"')]+`)
)

// guideHTML renders one line of a guide (rootguard's own text): escaped,
// with **bold**, `code` and links, but only to AWS console pages.
func guideHTML(s string) template.HTML {
	esc := template.HTMLEscapeString(s)
	esc = guideBold.ReplaceAllString(esc, "<strong>$1</strong>")
	esc = guideCode.ReplaceAllString(esc, "<code>$1</code>")
	esc = guideURL.ReplaceAllStringFunc(esc, func(raw string) string {
		link := strings.TrimRight(raw, ".,;:")
		rest := raw[len(link):]
		if !consoleLink(link) {
			return raw
		}
		return `<a href="` + link + `">` + link + `</a>` + rest
	})
	return template.HTML(esc)
}

// consoleLink reports whether a URL is an AWS console page.
func consoleLink(raw string) bool {
	u, err := url.Parse(strings.ReplaceAll(raw, "&amp;", "&"))
	if err != nil || u.Scheme != "https" {
		return false
	}
	h := u.Hostname()
	return h == "console.aws.amazon.com" || strings.HasSuffix(h, ".console.aws.amazon.com") || strings.HasSuffix(h, ".signin.aws.amazon.com")
}
