package api

// verifyRoutes serves the verification of signed documents.
func (s *Server) verifyRoutes() []Route { return nil }
