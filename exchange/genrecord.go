package exchange

// This file writes the generator's records: every field of the protocol's
// list, with synthetic values in the personal and sensitive ones.

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// message is one synthetic exchange.
type message struct {
	t                    int64
	client               Subsystem
	svc                  Service
	logged               Side
	rest                 bool
	netMs, isMs          int64
	failed, transport    bool
	reqSize, respSize    int64
	ids, ids2            uint64
	user                 int64
	issue, represented   bool
	clientAddr, clientIP string
	serviceAddr          string
	serviceIP            string
}

// recWriter appends records as JSON.
type recWriter struct {
	b     []byte
	form  Form
	first bool
}

func (w *recWriter) sep() {
	if w.first {
		w.first = false
		return
	}
	w.b = append(w.b, ",\n"...)
}

func (w *recWriter) str(name, v string) {
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, `":`...)
	w.b = strconv.AppendQuote(w.b, v)
	w.b = append(w.b, ',')
}

func (w *recWriter) num(name string, v int64) {
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, `":`...)
	w.b = strconv.AppendInt(w.b, v, 10)
	w.b = append(w.b, ',')
}

func (w *recWriter) uuid(name string, a, b uint64) {
	var raw [16]byte
	for i := range 8 {
		raw[i], raw[8+i] = byte(a>>(8*i)), byte(b>>(8*i))
	}
	var h [36]byte
	hex.Encode(h[0:8], raw[0:4])
	h[8] = '-'
	hex.Encode(h[9:13], raw[4:6])
	h[13] = '-'
	hex.Encode(h[14:18], raw[6:8])
	h[18] = '-'
	hex.Encode(h[19:23], raw[8:10])
	h[23] = '-'
	hex.Encode(h[24:36], raw[10:16])
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, `":"`...)
	w.b = append(w.b, h[:]...)
	w.b = append(w.b, `",`...)
}

// record writes the log of m by one side's server, with every field of the
// protocol's list. Personal and sensitive fields carry synthetic values.
func (w *recWriter) record(m *message, side Side) {
	w.sep()
	w.b = append(w.b, '{')
	// The four points: the client's server brackets the provider's.
	var in, out, rin, rout int64
	if side == SideClient {
		in = m.t
		out = in + 2
		if m.transport {
			rin, rout = 0, out+m.isMs
		} else {
			rin = out + m.netMs + 1 + m.isMs + 1 + m.netMs
			rout = rin + 2
		}
	} else {
		in = m.t + 2 + m.netMs
		out = in + 1
		rin = out + m.isMs
		rout = rin + 1
	}
	full := w.form == FormFull
	if full {
		w.num("monitoringDataTs", rout/1000+1)
		ip := m.clientIP
		if side == SideProducer {
			ip = m.serviceIP
		}
		w.str("securityServerInternalIp", ip)
	}
	if side == SideClient {
		w.str("securityServerType", "Client")
	} else {
		w.str("securityServerType", "Producer")
	}
	if full {
		w.num("requestInTs", in)
	} else {
		hour := in - in%3_600_000
		w.num("requestInTs", hour)
		w.str("requestInDate", time.UnixMilli(hour).UTC().Format("2006-01-02"))
	}
	w.num("requestOutTs", out)
	if rin != 0 {
		w.num("responseInTs", rin)
	}
	w.num("responseOutTs", rout)
	w.str("clientXRoadInstance", m.client.Instance)
	w.str("clientMemberClass", m.client.Class)
	w.str("clientMemberCode", m.client.Member.Code)
	if m.client.Code != "" {
		w.str("clientSubsystemCode", m.client.Code)
	}
	w.str("serviceXRoadInstance", m.svc.Provider.Instance)
	w.str("serviceMemberClass", m.svc.Provider.Class)
	w.str("serviceMemberCode", m.svc.Provider.Member.Code)
	if m.svc.Provider.Code != "" {
		w.str("serviceSubsystemCode", m.svc.Provider.Code)
	}
	w.str("serviceCode", m.svc.Code)
	if m.svc.Version != "" {
		w.str("serviceVersion", m.svc.Version)
	}
	if m.represented {
		w.str("representedPartyClass", "COM")
		w.str("representedPartyCode", "synthetic-party-"+strconv.FormatUint(m.ids2%100000, 10))
	}
	w.uuid("messageId", m.ids2, m.ids)
	if full {
		w.str("messageUserId", "synthetic-user-"+strconv.FormatInt(m.user, 10))
		if m.issue {
			w.str("messageIssue", "synthetic-issue-"+strconv.FormatInt(m.user%100000, 10))
		}
	}
	if m.rest {
		w.str("restMethod", "GET")
		w.str("restPath", "/"+m.svc.Code+"/synthetic-"+strconv.FormatInt(m.user%1000, 10))
		status := int64(200)
		if m.failed && !m.transport {
			status = 500
		}
		if !m.transport {
			w.num("statusCode", status)
		}
	} else {
		w.str("messageProtocolVersion", "4.0")
	}
	w.str("clientSecurityServerAddress", m.clientAddr)
	w.str("serviceSecurityServerAddress", m.serviceAddr)
	w.num("requestSize", m.reqSize)
	w.num("requestMimeSize", m.reqSize+180)
	w.num("requestAttachmentCount", 0)
	if !m.transport {
		w.num("responseSize", m.respSize)
		w.num("responseMimeSize", m.respSize+180)
		w.num("responseAttachmentCount", 0)
	}
	if m.failed {
		w.b = append(w.b, `"succeeded":false,`...)
		switch {
		case m.transport:
			w.str("faultCode", "Server.ClientProxy.NetworkError")
			w.str("faultString", "synthetic network failure")
		default:
			w.str("faultCode", "Server.ServerProxy.ServiceFailed")
			w.str("faultString", "synthetic service failure")
		}
	} else {
		w.b = append(w.b, `"succeeded":true,`...)
	}
	if m.rest {
		w.str("serviceType", "REST")
	} else {
		w.str("serviceType", "WSDL")
	}
	w.uuid("xRequestId", m.ids, m.ids2)
	w.b = append(w.b, `"xRoadVersion":"7"}`...)
}

// malformed writes a record that is valid JSON but not a good record, of
// one of six kinds (each a problem the reader reports).
func (w *recWriter) malformed(m *message, kind int) {
	w.sep()
	base := fmt.Sprintf(`"clientXRoadInstance":%q,"clientMemberClass":%q,"serviceXRoadInstance":%q,"serviceMemberClass":%q,"serviceMemberCode":%q,"serviceCode":%q`,
		m.client.Instance, m.client.Class, m.svc.Provider.Instance, m.svc.Provider.Class, m.svc.Provider.Member.Code, m.svc.Code)
	switch kind {
	case 0: // clientMemberCode missing
		w.b = fmt.Appendf(w.b, `{"securityServerType":"Client","requestInTs":%d,%s,"succeeded":true}`, m.t, base)
	case 1: // requestInTs in seconds
		w.b = fmt.Appendf(w.b, `{"securityServerType":"Client","requestInTs":%d,"clientMemberCode":%q,%s,"succeeded":true}`, m.t/1000, m.client.Member.Code, base)
	case 2: // succeeded as a string
		w.b = fmt.Appendf(w.b, `{"securityServerType":"Client","requestInTs":%d,"clientMemberCode":%q,%s,"succeeded":"yes"}`, m.t, m.client.Member.Code, base)
	case 3: // unknown server type
		w.b = fmt.Appendf(w.b, `{"securityServerType":"Gateway","requestInTs":%d,"clientMemberCode":%q,%s,"succeeded":true}`, m.t, m.client.Member.Code, base)
	case 4: // not an object
		w.b = append(w.b, "null"...)
	default: // an identifier with a separator in it
		w.b = fmt.Appendf(w.b, `{"securityServerType":"Client","requestInTs":%d,"clientMemberCode":"bad/code",%s,"succeeded":true}`, m.t, base)
	}
}
