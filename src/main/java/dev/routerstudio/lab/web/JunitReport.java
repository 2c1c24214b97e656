package dev.routerstudio.lab.web;

import dev.routerstudio.lab.CheckResult;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.util.Locale;

/**
 * verify's verdict as JUnit XML, the format CI systems read: one testsuite for the profile, one
 * testcase per check (its transcript in system-out; a failed check is a failure whose text says
 * what was expected and what was seen), or one testcase "build" when the build did not succeed.
 */
final class JunitReport {

    private JunitReport() {
    }

    static String of(Verifier.Result r) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", "router-studio.verify." + r.profile());
            x.writeAttribute("tests", Integer.toString(r.tests()));
            x.writeAttribute("failures", Long.toString(r.status() == null ? 0 : r.failures()));
            x.writeAttribute("errors", r.status() == null ? "1" : "0");
            x.writeAttribute("skipped", Long.toString(r.skipped()));
            x.writeAttribute("time", seconds(r.seconds()));
            x.writeCharacters("\n  ");
            x.writeStartElement("properties");
            property(x, "profile", r.profile());
            property(x, "build", Long.toString(r.build()));
            property(x, "verdict", r.verdict().name().toLowerCase(Locale.ROOT));
            if (r.lab() != null) {
                property(x, "lab", r.lab());
                property(x, "evidence", "/api/v1/labs/" + r.lab() + "/evidence");
                if (r.status().worker() != null) {
                    property(x, "worker", r.status().worker());
                }
            }
            x.writeEndElement();
            String classname = r.profile() + (r.status() == null ? "" : "." + r.status().wanMode());
            if (r.status() == null) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testcase");
                x.writeAttribute("classname", classname);
                x.writeAttribute("name", "build");
                x.writeAttribute("time", seconds(r.seconds()));
                x.writeStartElement("error");
                x.writeAttribute("message", clean("build " + r.build() + " " + r.buildStatus().name().toLowerCase(Locale.ROOT)
                        + (r.buildError() == null ? "" : ": " + r.buildError())));
                x.writeCharacters(clean(r.buildLogTail() == null ? "" : r.buildLogTail()));
                x.writeEndElement();
                x.writeEndElement();
            } else {
                for (CheckResult c : r.status().checks()) {
                    x.writeCharacters("\n  ");
                    x.writeStartElement("testcase");
                    x.writeAttribute("classname", classname);
                    x.writeAttribute("name", c.name());
                    x.writeAttribute("time", seconds(c.seconds()));
                    String detail = clean(c.detail() == null ? "" : c.detail());
                    switch (c.status()) {
                        case FAILED -> {
                            x.writeStartElement("failure");
                            x.writeAttribute("message", detail);
                            x.writeAttribute("type", "check");
                            x.writeCharacters(clean(c.title() + "\n" + detail));
                            x.writeEndElement();
                        }
                        case SKIPPED -> {
                            x.writeEmptyElement("skipped");
                            x.writeAttribute("message", detail);
                        }
                        default -> {
                        }
                    }
                    if (c.excerpt() != null && !c.excerpt().isEmpty()) {
                        x.writeStartElement("system-out");
                        x.writeCharacters(clean(c.excerpt()));
                        x.writeEndElement();
                    }
                    x.writeEndElement();
                }
            }
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the JUnit report: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", clean(value));
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    /** Console text may carry characters XML 1.0 cannot hold (escape sequences, NUL): they go. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000 && c <= 0x10FFFF) {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
