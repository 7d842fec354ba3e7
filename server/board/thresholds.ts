// The board's green/amber/red thresholds. From the configuration for now, the same for both associations;
// a per-association policy (issue 6, policy) replaces this one function.
import type { BoardThresholds } from '../../protocol/index.ts';
import type { Config } from '../config.ts';

export function boardThresholds(
  config: Pick<Config, 'BOARD_AMBER_WAIT_SECONDS' | 'BOARD_RED_WAIT_SECONDS' | 'BOARD_AMBER_WAITING' | 'BOARD_RED_WAITING'>,
): BoardThresholds {
  return {
    amberWaitSeconds: config.BOARD_AMBER_WAIT_SECONDS,
    redWaitSeconds: config.BOARD_RED_WAIT_SECONDS,
    amberWaiting: config.BOARD_AMBER_WAITING,
    redWaiting: config.BOARD_RED_WAITING,
  };
}
