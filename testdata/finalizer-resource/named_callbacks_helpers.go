package resnamed

import "log"

type shutdowner interface{ Shutdown() error }

func dropLink(l *link) {
	l.sock.Close()
}

func noteLink(l *link) {
	log.Printf("link to %v collected", l.sock.RemoteAddr())
}

func (p *pool) drain() {
	for _, c := range p.conns {
		if s, ok := c.(shutdowner); ok {
			s.Shutdown()
		}
	}
}
