// The app's pages and the guards that keep signed-out users and missing roles out.
import { ElMessage } from 'element-plus'
import {
  createRouter,
  createWebHistory,
  type RouteLocationNormalized,
  type Router,
  type RouterHistory,
} from 'vue-router'
import type { Role } from '@/api/types'
import { i18n } from '@/i18n'
import { allows } from '@/nav'
import { useSessionStore } from '@/stores/session'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean
    /** The roles of which the user needs one. */
    roles?: readonly Role[]
    /** i18n key of the page title. */
    titleKey?: string
    /** The navigation entry to highlight, when it is not the first part of the path. */
    nav?: string
  }
}

const organiser: readonly Role[] = ['organiser']
const author: readonly Role[] = ['author']
const contentReaders: readonly Role[] = ['author', 'organiser']
const invigilators: readonly Role[] = ['invigilator', 'organiser']
const judges: readonly Role[] = ['judge']
const contestants: readonly Role[] = ['contestant']

export const routes = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/LoginView.vue'),
    meta: { public: true, titleKey: 'login.title' },
  },
  // Exam (contestant): the exam page fills the screen, without the app's menu.
  {
    path: '/attempts/:id(\\d+)',
    name: 'attempt',
    component: () => import('@/views/exam/AttemptView.vue'),
    meta: { titleKey: 'exam.pageTitle' },
  },
  // Competition: the draw on a projector (full screen, organisers) and the public
  // draw that anyone can check without signing in.
  {
    path: '/competition/stages/:id(\\d+)/projector',
    name: 'draw-projector',
    component: () => import('@/views/competition/DrawProjectorView.vue'),
    meta: { roles: organiser, titleKey: 'draw.projector.title' },
  },
  {
    path: '/public/stages/:id(\\d+)/draw',
    name: 'public-draw',
    component: () => import('@/views/public/PublicDrawView.vue'),
    meta: { public: true, titleKey: 'draw.public.title' },
  },
  // Results: the public results page and live board (no sign-in, no menu; projector-friendly).
  {
    path: '/public/stages/:id(\\d+)/results',
    name: 'public-results',
    component: () => import('@/views/public/PublicResultsView.vue'),
    meta: { public: true, titleKey: 'publicResults.title' },
  },
  {
    path: '/',
    component: () => import('@/layouts/AppLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('@/views/HomeView.vue'), meta: { titleKey: 'nav.home' } },
      {
        path: 'banks',
        name: 'banks',
        component: () => import('@/views/BanksView.vue'),
        meta: { roles: contentReaders, titleKey: 'nav.banks' },
      },
      {
        path: 'banks/:id(\\d+)',
        name: 'bank',
        component: () => import('@/views/BankView.vue'),
        meta: { roles: contentReaders, titleKey: 'nav.banks' },
      },
      {
        path: 'questions/new',
        name: 'question-new',
        component: () => import('@/views/QuestionEditView.vue'),
        meta: { roles: author, titleKey: 'questionEditor.createTitle', nav: '/banks' },
      },
      {
        path: 'questions/:id(\\d+)',
        name: 'question',
        component: () => import('@/views/QuestionDetailView.vue'),
        meta: { roles: contentReaders, titleKey: 'questionDetail.pageTitle', nav: '/banks' },
      },
      {
        path: 'questions/:id(\\d+)/edit',
        name: 'question-edit',
        component: () => import('@/views/QuestionEditView.vue'),
        meta: { roles: author, titleKey: 'questionEditor.pageTitle', nav: '/banks' },
      },
      {
        path: 'review',
        name: 'review',
        component: () => import('@/views/ReviewView.vue'),
        meta: { roles: author, titleKey: 'nav.review' },
      },
      {
        path: 'materials',
        name: 'materials',
        component: () => import('@/views/MaterialsView.vue'),
        meta: { titleKey: 'nav.materials' },
      },
      {
        path: 'materials/new',
        name: 'material-new',
        component: () => import('@/views/MaterialEditView.vue'),
        meta: { roles: contentReaders, titleKey: 'materials.createTitle' },
      },
      {
        path: 'materials/:id(\\d+)',
        name: 'material',
        component: () => import('@/views/MaterialView.vue'),
        meta: { titleKey: 'nav.materials' },
      },
      {
        path: 'materials/:id(\\d+)/edit',
        name: 'material-edit',
        component: () => import('@/views/MaterialEditView.vue'),
        meta: { roles: contentReaders, titleKey: 'materials.editTitle' },
      },
      {
        path: 'topics',
        name: 'topics',
        component: () => import('@/views/TopicsView.vue'),
        meta: { roles: organiser, titleKey: 'nav.topics' },
      },
      {
        path: 'org-units',
        name: 'org-units',
        component: () => import('@/views/OrgUnitsView.vue'),
        meta: { roles: organiser, titleKey: 'nav.orgUnits' },
      },
      {
        path: 'users',
        name: 'users',
        component: () => import('@/views/UsersView.vue'),
        meta: { roles: organiser, titleKey: 'nav.users' },
      },
      {
        path: 'grants',
        name: 'grants',
        component: () => import('@/views/GrantsView.vue'),
        meta: { roles: organiser, titleKey: 'nav.grants' },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('@/views/AuditView.vue'),
        meta: { roles: organiser, titleKey: 'nav.audit' },
      },
      // Exam (contestant)
      {
        path: 'my-exams',
        name: 'my-exams',
        component: () => import('@/views/exam/MyExamsView.vue'),
        meta: { titleKey: 'nav.myExams' },
      },
      {
        path: 'attempts/:id(\\d+)/summary',
        name: 'attempt-summary',
        component: () => import('@/views/exam/AttemptSummaryView.vue'),
        meta: { titleKey: 'exam.summaryTitle', nav: '/my-exams' },
      },
      // Results (contestant): their published results and appeals
      {
        path: 'my-results',
        name: 'my-results',
        component: () => import('@/views/appeals/MyResultsView.vue'),
        meta: { roles: contestants, titleKey: 'appeal.navTitle' },
      },
      {
        path: 'my-results/:id(\\d+)',
        name: 'my-results-stage',
        component: () => import('@/views/appeals/MyResultsView.vue'),
        meta: { roles: contestants, titleKey: 'appeal.navTitle', nav: '/my-results' },
      },
      // Exam (organiser, invigilation, marking)
      {
        path: 'exam-admin',
        name: 'exam-admin',
        component: () => import('@/views/exams/ExamsAdminView.vue'),
        meta: { roles: organiser, titleKey: 'examAdmin.title' },
      },
      {
        path: 'exam-admin/new',
        name: 'exam-admin-new',
        component: () => import('@/views/exams/ExamCreateView.vue'),
        meta: { roles: organiser, titleKey: 'examAdmin.exam.createTitle', nav: '/exam-admin' },
      },
      {
        path: 'exam-admin/:id(\\d+)',
        name: 'exam-admin-exam',
        component: () => import('@/views/exams/ExamDetailView.vue'),
        meta: { roles: organiser, titleKey: 'examAdmin.detail.pageTitle', nav: '/exam-admin' },
      },
      {
        path: 'exam-admin/:id(\\d+)/edit',
        name: 'exam-admin-exam-edit',
        component: () => import('@/views/exams/ExamCreateView.vue'),
        meta: { roles: organiser, titleKey: 'examAdmin.exam.editTitle', nav: '/exam-admin' },
      },
      {
        path: 'exam-admin/:id(\\d+)/results',
        name: 'exam-admin-results',
        component: () => import('@/views/exams/ResultsView.vue'),
        meta: { roles: organiser, titleKey: 'examResults.tabs.results', nav: '/exam-admin' },
      },
      {
        path: 'exam-admin/:id(\\d+)/results/:attemptId(\\d+)',
        name: 'exam-admin-result',
        component: () => import('@/views/exams/ResultsAttemptView.vue'),
        meta: { roles: organiser, titleKey: 'examResults.detail.title', nav: '/exam-admin' },
      },
      {
        path: 'exam-admin/:id(\\d+)/statistics',
        name: 'exam-admin-statistics',
        component: () => import('@/views/exams/StatisticsView.vue'),
        meta: { roles: organiser, titleKey: 'examResults.tabs.statistics', nav: '/exam-admin' },
      },
      {
        path: 'exam-admin/:id(\\d+)/key-corrections',
        name: 'exam-admin-key-corrections',
        component: () => import('@/views/exams/KeyCorrectionView.vue'),
        meta: { roles: organiser, titleKey: 'examResults.keys.title', nav: '/exam-admin' },
      },
      {
        path: 'exam-admin/blueprints/new',
        name: 'exam-admin-blueprint-new',
        component: () => import('@/views/exams/BlueprintEditView.vue'),
        meta: { roles: organiser, titleKey: 'examAdmin.blueprint.createTitle', nav: '/exam-admin' },
      },
      {
        path: 'exam-admin/blueprints/:id(\\d+)',
        name: 'exam-admin-blueprint',
        component: () => import('@/views/exams/BlueprintEditView.vue'),
        meta: { roles: organiser, titleKey: 'examAdmin.blueprint.pageTitle', nav: '/exam-admin' },
      },
      {
        path: 'invigilation',
        name: 'invigilation',
        component: () => import('@/views/exams/InvigilationView.vue'),
        meta: { roles: invigilators, titleKey: 'invigilation.title' },
      },
      {
        path: 'invigilation/:id(\\d+)',
        name: 'invigilation-console',
        component: () => import('@/views/exams/MonitorView.vue'),
        meta: { roles: invigilators, titleKey: 'invigilation.consoleTitle', nav: '/invigilation' },
      },
      {
        path: 'marking',
        name: 'marking',
        component: () => import('@/views/marking/MarkingQueueView.vue'),
        meta: { roles: judges, titleKey: 'marking.queueTitle' },
      },
      {
        path: 'marking/exams/:examId(\\d+)/questions/:questionId(\\d+)',
        name: 'marking-question',
        component: () => import('@/views/marking/MarkingView.vue'),
        meta: { roles: judges, titleKey: 'marking.pageTitle', nav: '/marking' },
      },
      {
        path: 'marking/adjudications',
        name: 'marking-adjudications',
        component: () => import('@/views/marking/AdjudicationView.vue'),
        meta: { roles: judges, titleKey: 'marking.adjudication.title', nav: '/marking' },
      },
      // Competition (organisers) and the practical round (judges)
      {
        path: 'competition',
        name: 'competition',
        component: () => import('@/views/competition/StagesView.vue'),
        meta: { roles: organiser, titleKey: 'competition.title' },
      },
      {
        path: 'competition/new',
        name: 'competition-new',
        component: () => import('@/views/competition/StageCreateView.vue'),
        meta: { roles: organiser, titleKey: 'competition.create.title', nav: '/competition' },
      },
      {
        path: 'competition/stages/:id(\\d+)',
        name: 'competition-stage',
        component: () => import('@/views/competition/StageView.vue'),
        meta: { roles: organiser, titleKey: 'competition.stage.pageTitle', nav: '/competition' },
      },
      // Results: rankings, publication and versions, appeals and selection (organisers)
      {
        path: 'competition/stages/:id(\\d+)/rankings',
        name: 'competition-rankings',
        component: () => import('@/views/ranking/RankingsView.vue'),
        meta: { roles: organiser, titleKey: 'ranking.pageTitle', nav: '/competition' },
      },
      {
        path: 'judging',
        name: 'judging',
        component: () => import('@/views/judging/JudgingView.vue'),
        meta: { roles: judges, titleKey: 'judging.title' },
      },
      {
        path: 'judging/stages/:stageId(\\d+)/contestants/:userId(\\d+)',
        name: 'judging-sheet',
        component: () => import('@/views/judging/JudgeSheetView.vue'),
        meta: { roles: judges, titleKey: 'judging.sheetTitle', nav: '/judging' },
      },
      {
        path: 'judging/stages/:stageId(\\d+)/discrepancies',
        name: 'judging-discrepancies',
        component: () => import('@/views/judging/ChiefDiscrepanciesView.vue'),
        meta: { roles: judges, titleKey: 'judging.discrepancy.title', nav: '/judging' },
      },
      {
        path: 'password',
        name: 'password',
        component: () => import('@/views/PasswordView.vue'),
        meta: { titleKey: 'nav.password' },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('@/views/NotFoundView.vue'),
        meta: { titleKey: 'notFound.title' },
      },
    ],
  },
]

/** The page title for a route, in the current language. */
export function pageTitle(route: RouteLocationNormalized): string {
  const key = route.meta.titleKey
  const app = i18n.global.t('app.name')
  return key ? `${i18n.global.t(key)} · ${app}` : app
}

/** Where to go after sign-in: the asked-for page if it is one of ours, else home. */
export function safeRedirect(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/login')) {
    return '/'
  }
  return value
}

/** The app's router with its guards; tests pass a memory history. */
export function createAppRouter(history: RouterHistory = createWebHistory()): Router {
  const router = createRouter({
    history,
    routes,
    scrollBehavior: () => ({ top: 0 }),
  })

  router.beforeEach(async (to) => {
    const session = useSessionStore()
    if (!session.checked) {
      try {
        await session.probe()
      } catch (error) {
        // The server could not be asked; the sign-in page shows why when it is tried.
        session.clear()
        if (error instanceof Error) ElMessage.error(error.message)
      }
    }
    if (to.meta.public) {
      return to.name === 'login' && session.signedIn ? safeRedirect(to.query.redirect) : true
    }
    if (!session.signedIn) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
    }
    if (!allows(session.me?.grants ?? [], to.meta.roles)) {
      ElMessage.warning(i18n.global.t('access.denied'))
      return { name: 'home' }
    }
    return true
  })

  router.afterEach((to) => {
    document.title = pageTitle(to)
  })

  return router
}
