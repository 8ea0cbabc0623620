package ai.hypnos.core.annotation;

import ai.hypnos.core.HypnosFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads NSRR annotation XML (SHHS, MrOS, MESA, CFS, CHAT...), in both layouts NSRR ships:
 *
 * <ul>
 *   <li>{@code *-nsrr.xml}: {@code PSGAnnotation/ScoredEvents/ScoredEvent} with {@code EventType}
 *       ({@code "Stages|Stages"}, {@code "Respiratory|Respiratory"}...), {@code EventConcept}
 *       ({@code "Stage 2 sleep|2"}, {@code "Obstructive apnea|Obstructive Apnea"}), {@code Start},
 *       {@code Duration}, optional {@code SignalLocation}; the first event is usually
 *       "Recording Start Time" with the recording length and {@code ClockTime}.</li>
 *   <li>{@code *-profusion.xml}: {@code CMPStudyConfig} with {@code ScoredEvents/ScoredEvent}
 *       ({@code Name}, {@code Start}, {@code Duration}, {@code Input}) and one
 *       {@code SleepStages/SleepStage} per epoch (0 wake, 1–4, 5 REM, others unscored), which
 *       become stage events of one epoch each.</li>
 * </ul>
 *
 * <p>Parsing is hardened: DOCTYPE declarations are refused, so no external entity or DTD is ever
 * resolved (XXE) and no entity expansion bomb can run.
 */
public final class NsrrXml {
    private static final Logger LOG = LoggerFactory.getLogger(NsrrXml.class);
    private static final String RECORDING_START = "recording start time";

    private NsrrXml() {
    }

    /** Reads an NSRR annotation file. */
    public static NsrrAnnotations read(Path xml) throws IOException {
        if (!Files.isRegularFile(xml)) {
            throw new HypnosFormatException(xml, "annotation file", xml, "no such file");
        }
        Document doc;
        try (InputStream in = Files.newInputStream(xml)) {
            doc = builder().parse(in, xml.toUri().toString());
        } catch (SAXException e) {
            throw new HypnosFormatException(xml, "XML", e.getMessage(), "not well-formed XML or refused (DOCTYPE)", e);
        }
        Element root = doc.getDocumentElement();
        double epoch = number(xml, "EpochLength", text(root, "EpochLength"), 30.0);
        if (!(epoch > 0)) {
            throw new HypnosFormatException(xml, "EpochLength", epoch, "must be positive");
        }
        List<ScoredEvent> events = new ArrayList<>();
        String clock = "";
        OptionalDouble length = OptionalDouble.empty();
        NodeList nodes = root.getElementsByTagName("ScoredEvent");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            String where = "ScoredEvent[" + i + "]/";
            String concept = text(e, "EventConcept");
            if (concept == null) {
                concept = text(e, "Name"); // Profusion layout
            }
            if (concept == null) {
                throw new HypnosFormatException(xml, where + "EventConcept", "", "scored event without EventConcept or Name");
            }
            String type = orEmpty(text(e, "EventType"));
            double start = number(xml, where + "Start", text(e, "Start"), Double.NaN);
            double duration = number(xml, where + "Duration", text(e, "Duration"), 0.0);
            if (Double.isNaN(start)) {
                throw new HypnosFormatException(xml, where + "Start", "", "scored event without Start");
            }
            if (duration < 0) {
                throw new HypnosFormatException(xml, where + "Duration", duration, "must not be negative");
            }
            if (concept.strip().toLowerCase(Locale.ROOT).startsWith(RECORDING_START)) {
                clock = orEmpty(text(e, "ClockTime"));
                if (duration > 0) {
                    length = OptionalDouble.of(duration);
                }
                continue;
            }
            String channel = text(e, "SignalLocation");
            if (channel == null) {
                channel = text(e, "Input");
            }
            events.add(new ScoredEvent(type, concept.strip(), start, duration, orEmpty(channel)));
        }
        events.addAll(profusionStages(xml, root, epoch));
        LOG.debug("{}: {} scored events, epoch {} s", xml, events.size(), epoch);
        return new NsrrAnnotations(xml, epoch, events, clock, length);
    }

    /** Profusion's per-epoch {@code SleepStages/SleepStage} list as one-epoch stage events. */
    private static List<ScoredEvent> profusionStages(Path xml, Element root, double epoch) throws HypnosFormatException {
        List<ScoredEvent> out = new ArrayList<>();
        NodeList lists = root.getElementsByTagName("SleepStages");
        if (lists.getLength() == 0) {
            return out;
        }
        NodeList stages = ((Element) lists.item(0)).getElementsByTagName("SleepStage");
        for (int i = 0; i < stages.getLength(); i++) {
            String v = stages.item(i).getTextContent().strip();
            if (!v.matches("-?\\d+")) {
                throw new HypnosFormatException(xml, "SleepStage[" + i + "]", v, "not a stage number");
            }
            String name = switch (v) {
                case "0" -> "Wake";
                case "1", "2", "3", "4" -> "Stage " + v + " sleep";
                case "5" -> "REM sleep";
                default -> "Unscored";
            };
            String code = v.length() == 1 ? v : "9";
            out.add(new ScoredEvent("Stages|Stages", name + "|" + code, i * epoch, epoch, ""));
        }
        return out;
    }

    private static DocumentBuilder builder() throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            // errors become exceptions (with file and reason) instead of lines on stderr
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IOException("XML parser cannot be configured securely", e);
        }
    }

    /** Text of the first direct child element with this name, or null. */
    private static String text(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE && n.getNodeName().equals(name)) {
                return n.getTextContent();
            }
        }
        return null;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s.strip();
    }

    private static double number(Path xml, String field, String s, double absent) throws HypnosFormatException {
        if (s == null || s.isBlank()) {
            return absent;
        }
        try {
            double v = Double.parseDouble(s.strip());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new HypnosFormatException(xml, field, s.strip(), "not a number");
        }
    }
}
