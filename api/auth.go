package api

// authRoutes serves logins, sessions, accounts and single sign-on.
func (s *Server) authRoutes() []Route { return nil }
