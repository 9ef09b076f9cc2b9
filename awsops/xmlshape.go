package awsops

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"strings"
	"time"
)

// The SDK's XML decoders skip what they do not expect: text where a list or
// a structure belongs reads as an empty list or an empty structure, which
// an empty list of identity providers cannot be told apart from. The
// boundary walks every awsQuery read's answer beside its output type and
// refuses one that puts text where the type has a list, a map or a
// structure, or elements inside a value.

// xmlShapeMaxDepth bounds the walk; answers are far shallower.
const xmlShapeMaxDepth = 64

// misshapen is where an answer does not fit its type.
type misshapen struct {
	path string // e.g. "SAMLProviderList"
	want string // "a list", "a map", "a structure", "a value"
}

// checkQueryXMLShape walks an awsQuery answer (<OpResponse><OpResult>…)
// beside out, the operation's output type. Other documents (restXml, a
// body the SDK could not read at all) are left to the SDK: nil.
func checkQueryXMLShape(body []byte, op string, out reflect.Type) *misshapen {
	for out.Kind() == reflect.Pointer {
		out = out.Elem()
	}
	if out.Kind() != reflect.Struct {
		return nil
	}
	c := shapeWalker{d: xml.NewDecoder(bytes.NewReader(body))}
	root, ok := c.firstElement()
	if !ok || !strings.EqualFold(root.Name.Local, op+"Response") {
		return nil
	}
	for {
		tok, err := c.d.Token()
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !strings.EqualFold(t.Name.Local, op+"Result") {
				if c.d.Skip() != nil {
					return nil
				}
				continue
			}
			return c.structure(out, "", 0)
		case xml.EndElement:
			return nil
		}
	}
}

type shapeWalker struct{ d *xml.Decoder }

func (c shapeWalker) firstElement() (xml.StartElement, bool) {
	for {
		tok, err := c.d.Token()
		if err != nil {
			return xml.StartElement{}, false
		}
		if t, ok := tok.(xml.StartElement); ok {
			return t, true
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func isText(b xml.CharData) bool { return len(bytes.TrimSpace(b)) > 0 }

// structure walks the members of a struct element up to its end.
func (c shapeWalker) structure(t reflect.Type, path string, depth int) *misshapen {
	for {
		tok, err := c.d.Token()
		if err != nil {
			return nil
		}
		switch x := tok.(type) {
		case xml.CharData:
			if isText(x) {
				return &misshapen{path: orText(path, "the answer"), want: "a structure"}
			}
		case xml.StartElement:
			f, ok := fieldNamed(t, x.Name.Local)
			if !ok {
				if c.d.Skip() != nil {
					return nil
				}
				continue
			}
			if m := c.value(f.Type, join(path, f.Name), depth+1); m != nil {
				return m
			}
		case xml.EndElement:
			return nil
		}
	}
}

// value walks one member's content, up to the member's end.
func (c shapeWalker) value(t reflect.Type, path string, depth int) *misshapen {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if depth > xmlShapeMaxDepth {
		_ = c.d.Skip()
		return nil
	}
	switch {
	case t == reflect.TypeFor[time.Time](), t == reflect.TypeFor[[]byte](), isScalarKind(t.Kind()):
		return c.scalar(path)
	case t.Kind() == reflect.Slice:
		return c.container(path, "a list", func(name string) *misshapen {
			if !strings.EqualFold(name, "member") {
				return c.skip()
			}
			return c.value(t.Elem(), path+"[]", depth+1)
		})
	case t.Kind() == reflect.Map:
		return c.container(path, "a map", func(name string) *misshapen {
			if !strings.EqualFold(name, "entry") {
				return c.skip()
			}
			return c.container(path+"{}", "a map entry", func(name string) *misshapen {
				switch {
				case strings.EqualFold(name, "key"):
					return c.scalar(path + "{}.key")
				case strings.EqualFold(name, "value"):
					return c.value(t.Elem(), path+"{}", depth+2)
				}
				return c.skip()
			})
		})
	case t.Kind() == reflect.Struct:
		return c.structure(t, path, depth)
	}
	return c.skip() // documents, unions: the SDK's business
}

// container walks an element that holds only elements (each handed to
// child), refusing text in it.
func (c shapeWalker) container(path, want string, child func(name string) *misshapen) *misshapen {
	for {
		tok, err := c.d.Token()
		if err != nil {
			return nil
		}
		switch x := tok.(type) {
		case xml.CharData:
			if isText(x) {
				return &misshapen{path: path, want: want}
			}
		case xml.StartElement:
			if m := child(x.Name.Local); m != nil {
				return m
			}
		case xml.EndElement:
			return nil
		}
	}
}

// scalar walks a value's element: text only.
func (c shapeWalker) scalar(path string) *misshapen {
	for {
		tok, err := c.d.Token()
		if err != nil {
			return nil
		}
		switch tok.(type) {
		case xml.StartElement:
			return &misshapen{path: path, want: "a value"}
		case xml.EndElement:
			return nil
		}
	}
}

func (c shapeWalker) skip() *misshapen {
	_ = c.d.Skip()
	return nil
}

func isScalarKind(k reflect.Kind) bool {
	switch k {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// fieldNamed finds the exported member an element names (the SDK compares
// names without case).
func fieldNamed(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && f.Name != "ResultMetadata" && strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
