import { ElMessage } from 'element-plus'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
// Components used in templates bring their own CSS (see vite.config.ts); the services
// called from scripts need theirs imported here.
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import App from './App.vue'
import { configureApi } from './api'
import { currentLocale, i18n, setLocale } from './i18n'
import { createAppRouter } from './router'
import { useSessionStore } from './stores/session'
import './styles.css'

const app = createApp(App)
const pinia = createPinia()
const router = createAppRouter()
app.use(pinia).use(router).use(i18n)
setLocale(currentLocale())

configureApi({
  locale: currentLocale,
  fallbackMessage: (status) =>
    status === 0 ? i18n.global.t('common.networkError') : i18n.global.t('common.httpError', { status }),
  onUnauthorized: () => {
    const session = useSessionStore(pinia)
    const wasSignedIn = session.signedIn
    session.clear()
    const current = router.currentRoute.value
    if (current.meta.public) return
    if (wasSignedIn) ElMessage.warning(i18n.global.t('login.sessionExpired'))
    void router.replace({ name: 'login', query: { redirect: current.fullPath } })
  },
})

app.mount('#app')
