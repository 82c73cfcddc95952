package api

// progressRoutes serves progress reports, evidence, ratings, baselines,
// milestones, KPIs and project health.
func (s *Server) progressRoutes() []Route { return nil }
