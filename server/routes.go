package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// uploadRoutes take multipart files and get the larger body limit.
var uploadRoutes = []string{"/api/v1/users/import", "/api/v1/questions/import", "/api/v1/assets"}

// routes lists every endpoint in one place, top to bottom. Each must have a
// line in authz/policy.csv.
func (s *Server) routes() error {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = false
	e.ContextWithFallback = true
	// Without trusted proxies X-Forwarded-For is ignored, so a client cannot
	// fake its address (which the throttle and the audit trail record).
	if err := e.SetTrustedProxies(s.cfg.TrustedProxies); err != nil {
		return err
	}
	e.Use(s.requestContext, s.recovery, s.limitBody, s.authorize)

	e.GET("/healthz", s.wrap(s.healthz))
	e.GET("/readyz", s.wrap(s.readyz))
	e.GET("/metrics", s.wrap(s.metricsHandler))
	e.GET("/api/openapi.json", s.wrap(s.openapi))

	v1 := e.Group("/api/v1")
	v1.POST("/auth/login", s.wrap(s.login))
	v1.POST("/auth/logout", s.wrap(s.logout))
	v1.GET("/me", s.wrap(s.me))
	v1.POST("/me/password", s.wrap(s.changePassword))

	v1.GET("/org-units", s.wrap(s.listUnits))
	v1.POST("/org-units", s.wrap(s.createUnit))
	v1.GET("/org-units/:id", s.wrap(s.getUnit))
	v1.PATCH("/org-units/:id", s.wrap(s.updateUnit))
	v1.DELETE("/org-units/:id", s.wrap(s.deleteUnit))

	v1.GET("/users", s.wrap(s.listUsers))
	v1.POST("/users", s.wrap(s.createUser))
	v1.POST("/users/import", s.wrap(s.importUsers))
	v1.GET("/users/import/template", s.wrap(s.userImportTemplate))
	v1.GET("/users/:id", s.wrap(s.getUser))
	v1.PATCH("/users/:id", s.wrap(s.updateUser))
	v1.POST("/users/:id/password", s.wrap(s.resetPassword))

	v1.GET("/grants", s.wrap(s.listGrants))
	v1.POST("/grants", s.wrap(s.createGrant))
	v1.DELETE("/grants/:id", s.wrap(s.revokeGrant))

	v1.GET("/audit", s.wrap(s.listAudit))
	v1.GET("/audit/verify", s.wrap(s.verifyAudit))

	v1.GET("/topics", s.wrap(s.listTopics))
	v1.POST("/topics", s.wrap(s.createTopic))
	v1.PATCH("/topics/:id", s.wrap(s.updateTopic))

	v1.GET("/banks", s.wrap(s.listBanks))
	v1.POST("/banks", s.wrap(s.createBank))
	v1.PATCH("/banks/:id", s.wrap(s.updateBank))

	v1.GET("/questions", s.wrap(s.listQuestions))
	v1.POST("/questions", s.wrap(s.createQuestion))
	v1.GET("/questions/counts", s.wrap(s.questionCounts))
	v1.POST("/questions/import", s.wrap(s.importQuestions))
	v1.GET("/questions/import/template", s.wrap(s.questionTemplate))
	v1.GET("/questions/export", s.wrap(s.exportQuestions))
	v1.GET("/questions/:id", s.wrap(s.getQuestion))
	v1.PUT("/questions/:id", s.wrap(s.editQuestion))
	v1.GET("/questions/:id/versions", s.wrap(s.questionVersions))
	v1.GET("/questions/:id/events", s.wrap(s.questionEvents))
	v1.POST("/questions/:id/transitions", s.wrap(s.transitionQuestion))
	v1.POST("/questions/:id/comments", s.wrap(s.commentQuestion))

	v1.POST("/assets", s.wrap(s.uploadAsset))
	v1.GET("/assets/:hash", s.wrap(s.getAsset))

	v1.GET("/materials", s.wrap(s.listMaterials))
	v1.POST("/materials", s.wrap(s.createMaterial))
	v1.GET("/materials/:id", s.wrap(s.getMaterial))
	v1.PUT("/materials/:id", s.wrap(s.updateMaterial))

	// Results: a contestant's own result when the exam shows it; organisers'
	// results list, any attempt's result, manual release and statistics.
	v1.GET("/attempts/:id/result", s.wrap(s.myResult))
	v1.GET("/exams/:id/results", s.wrap(s.listExamResults))
	v1.POST("/exams/:id/results/release", s.wrap(s.releaseResults))
	v1.GET("/exams/:id/results/:attempt_id", s.wrap(s.getExamResult))
	v1.GET("/exams/:id/statistics", s.wrap(s.examStatistics))

	// Marking: organisers assign judges, follow marking and correct keys;
	// judges mark blind in the exams they are assigned to.
	v1.GET("/exams/:id/markers", s.wrap(s.listMarkers))
	v1.POST("/exams/:id/markers", s.wrap(s.assignMarker))
	v1.DELETE("/exams/:id/markers/:user_id", s.wrap(s.unassignMarker))
	v1.GET("/exams/:id/marking", s.wrap(s.markingProgress))
	v1.POST("/exams/:id/regrade", s.wrap(s.regradeExam))
	v1.GET("/exams/:id/key-corrections", s.wrap(s.listKeyCorrections))
	v1.GET("/marking/queue", s.wrap(s.markingQueue))
	v1.GET("/marking/exams/:id/questions/:question_id/answers", s.wrap(s.answersToMark))
	v1.PUT("/marking/answers/:ref", s.wrap(s.markAnswer))
	v1.GET("/marking/adjudications", s.wrap(s.listAdjudications))
	v1.PUT("/marking/adjudications/:ref", s.wrap(s.adjudicate))

	// Exams: set-up, the contestant's attempts, invigilation.
	v1.GET("/blueprints", s.wrap(s.listBlueprints))
	v1.POST("/blueprints", s.wrap(s.createBlueprint))
	v1.GET("/blueprints/:id", s.wrap(s.getBlueprint))
	v1.PATCH("/blueprints/:id", s.wrap(s.updateBlueprint))
	v1.DELETE("/blueprints/:id", s.wrap(s.deleteBlueprint))
	v1.GET("/exams", s.wrap(s.listExams))
	v1.POST("/exams", s.wrap(s.createExam))
	v1.GET("/exams/:id", s.wrap(s.getExam))
	v1.PATCH("/exams/:id", s.wrap(s.updateExam))
	v1.DELETE("/exams/:id", s.wrap(s.deleteExam))
	v1.GET("/exams/:id/enrolments", s.wrap(s.listEnrolments))
	v1.POST("/exams/:id/enrolments", s.wrap(s.enrol))
	v1.POST("/exams/:id/papers", s.wrap(s.preparePapers))
	v1.GET("/exams/:id/preview", s.wrap(s.previewExam))
	v1.POST("/exams/:id/attempts", s.wrap(s.startAttempt))
	v1.GET("/attempts/:id", s.wrap(s.getAttempt))
	v1.PUT("/attempts/:id/answers/:item_id", s.wrap(s.saveAnswer))
	v1.POST("/attempts/:id/heartbeat", s.wrap(s.heartbeat))
	v1.POST("/attempts/:id/submit", s.wrap(s.submitAttempt))
	v1.GET("/exams/:id/monitor", s.wrap(s.monitor))
	v1.GET("/exams/:id/monitor/stream", s.wrap(s.monitorStream))
	v1.POST("/exams/:id/extra-time", s.wrap(s.extraTime))
	v1.POST("/exams/:id/force-submit", s.wrap(s.forceSubmit))
	v1.POST("/exams/:id/unlock", s.wrap(s.unlockAttempt))
	v1.POST("/exams/:id/messages", s.wrap(s.sendMessage))

	// Competitions and stages: rosters, the stage's written exam, the draw.
	v1.GET("/competitions", s.wrap(s.listCompetitions))
	v1.POST("/competitions", s.wrap(s.createCompetition))
	v1.GET("/stages", s.wrap(s.listStages))
	v1.POST("/stages", s.wrap(s.createStage))
	v1.GET("/stages/:id", s.wrap(s.getStage))
	v1.PATCH("/stages/:id", s.wrap(s.updateStage))
	v1.GET("/stages/:id/rosters", s.wrap(s.listRosters))
	v1.PUT("/stages/:id/rosters/:team_id", s.wrap(s.setRoster))
	v1.POST("/stages/:id/rosters/lock", s.wrap(s.lockRosters))
	v1.POST("/stages/:id/rosters/:team_id/substitutions", s.wrap(s.substitute))
	v1.POST("/stages/:id/written-exam", s.wrap(s.createWrittenExam))
	v1.GET("/stages/:id/draws", s.wrap(s.listDraws))
	v1.POST("/stages/:id/draws/commit", s.wrap(s.commitDraw))
	v1.POST("/stages/:id/draws/perform", s.wrap(s.performDraw))
	v1.GET("/public/stages/:id/draw", s.wrap(s.publicDraw))

	// Rankings, publication, appeals, selection: the draft and published
	// versions for organisers, public results and the live board for anyone,
	// exports; contestants appeal their own result; the advancement rule.
	v1.GET("/stages/:id/rankings", s.wrap(s.getRankings))
	v1.GET("/stages/:id/rankings/versions", s.wrap(s.listRankingVersions))
	v1.GET("/stages/:id/rankings/export", s.wrap(s.exportRankings))
	v1.GET("/stages/:id/score-sheets", s.wrap(s.exportScoreSheets))
	v1.GET("/stages/:id/certificates", s.wrap(s.exportCertificates))
	v1.POST("/stages/:id/publications", s.wrap(s.publishRanking))
	v1.GET("/public/stages/:id/results", s.wrap(s.publicResults))
	v1.GET("/public/stages/:id/live", s.wrap(s.liveBoard))
	v1.POST("/stages/:id/appeals", s.wrap(s.fileAppeal))
	v1.GET("/stages/:id/appeals", s.wrap(s.listStageAppeals))
	v1.GET("/me/appeals", s.wrap(s.myAppeals))
	v1.GET("/me/results", s.wrap(s.myResults))
	v1.GET("/appeals/:id", s.wrap(s.getAppeal))
	v1.POST("/appeals/:id/assignment", s.wrap(s.assignAppeal))
	v1.POST("/appeals/:id/outcome", s.wrap(s.resolveAppeal))
	v1.GET("/stages/:id/selection", s.wrap(s.getSelection))
	v1.PUT("/stages/:id/selection", s.wrap(s.proposeSelection))
	v1.POST("/stages/:id/selection/confirm", s.wrap(s.confirmSelection))
	v1.GET("/stages/:id/candidates", s.wrap(s.candidatePool))

	// Practical round: the stage organiser sets up tasks, stations, judges
	// and contestants; judges mark and sign off; the chief judge (or the
	// stage organiser) resolves discrepancies; the chief corrects marks.
	v1.GET("/stages/:id/tasks", s.wrap(s.listPracticalTasks))
	v1.POST("/stages/:id/tasks", s.wrap(s.createPracticalTask))
	v1.GET("/stages/:id/stations", s.wrap(s.listPracticalStations))
	v1.POST("/stages/:id/stations", s.wrap(s.createPracticalStation))
	v1.PUT("/stations/:id/judges", s.wrap(s.setPracticalJudges))
	v1.PUT("/stations/:id/contestants", s.wrap(s.setPracticalContestants))
	v1.GET("/stages/:id/practical", s.wrap(s.listPracticalResults))
	v1.GET("/stages/:id/practical/:user_id", s.wrap(s.getPracticalResult))
	v1.GET("/judging", s.wrap(s.judging))
	v1.GET("/judging/stages/:id/contestants/:user_id/marks", s.wrap(s.judgeSheet))
	v1.PUT("/judging/stages/:id/contestants/:user_id/marks", s.wrap(s.saveMarks))
	v1.POST("/judging/stages/:id/contestants/:user_id/sign-off", s.wrap(s.signOff))
	v1.GET("/stages/:id/discrepancies", s.wrap(s.listDiscrepancies))
	v1.POST("/stages/:id/discrepancies/:contestant_id/resolve", s.wrap(s.resolveDiscrepancy))
	v1.POST("/stages/:id/marks/:mark_id/correct", s.wrap(s.correctMark))

	e.NoRoute(s.wrap(s.notFoundOrApp))
	s.engine = e

	cop := http.NewCrossOriginProtection()
	for _, o := range s.cfg.TrustedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return err
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	s.handler = cop.Handler(s.sessions.LoadAndSave(e))
	return nil
}
