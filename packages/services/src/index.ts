export { backtestRule, type BacktestEpisode, type BacktestInput, type BacktestResult } from './backtest.js';
