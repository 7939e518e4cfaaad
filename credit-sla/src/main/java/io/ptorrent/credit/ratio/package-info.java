/**
 * The ratio engine: "give all you need, bring all you don't need".
 *
 * <ul>
 *   <li>{@link io.ptorrent.credit.ratio.RatioEngine} turns decayed contribution, balance and SLA tier into
 *       {@link io.ptorrent.credit.ratio.Entitlements} (shares of the grid among the accounts with demand), and
 *       forecasts supply and demand with Ignite ML to set the credit price of a PU-second
 *       ({@link io.ptorrent.credit.ratio.Forecast}, with its measured {@link io.ptorrent.credit.ratio.ForecastError}).</li>
 *   <li>{@link io.ptorrent.credit.ratio.FairQueue} orders queued fragments of several accounts by those
 *       entitlements, work-conserving and without head-of-line blocking: the harbor's fragment queue and a
 *       contributor's admission queue use it.</li>
 *   <li>{@link io.ptorrent.credit.ratio.JainIndex} measures how closely received shares follow entitlements.</li>
 * </ul>
 *
 * <p>Wiring (the scheduler's side): {@code engine.onAccount(account)} when an account is read from the ledger,
 * {@code engine.recordContribution(contributor, units, at)} per settled fragment, {@code
 * engine.recordInterval(sample)} and {@code queue.refresh()} once per interval, {@code queue.add(account,
 * fragment)} on submit, {@code queue.poll(canRun)} when a node frees a slot, {@code queue.onCompleted(account,
 * puSeconds)} when a fragment ends.
 */
package io.ptorrent.credit.ratio;
