package api

// meetingRoutes serves meetings, agendas, outcomes, actions, minutes and the
// decisions feed.
func (s *Server) meetingRoutes() []Route { return nil }
