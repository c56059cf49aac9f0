export { authRoutes } from './auth.routes.js';
export { LoginLimiter } from './login-limiter.js';
