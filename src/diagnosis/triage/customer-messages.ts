import type { TriageFacts } from "./facts.js";
import type { Decision } from "./decide.js";
import { unstableCause } from "./rules/onu-unstable.js";

/**
 * What a chatbot may say (§7): Argentine Spanish with vos, no trade words, at most one thing to do,
 * no promised times, no blame. Keyed by the deciding rule.
 */
const BY_RULE: Record<string, string> = {
  "freshness.unavailable":
    "Estamos revisando el estado de tu conexión. ¿Podés revisar que tu equipo de internet esté enchufado y con las luces encendidas?",
  "incident.pon_down": "Hay un corte de fibra en tu zona y ya estamos trabajando para resolverlo. No hace falta que hagas nada.",
  "incident.partial_los": "Hay un corte de fibra en tu zona y ya estamos trabajando para resolverlo. No hace falta que hagas nada.",
  "incident.area_power":
    "Parece que hay un corte de luz en tu zona que afecta al servicio. Cuando vuelva la energía, tu conexión debería volver sola.",
  "pppoe.disconnect_burst":
    "Estamos viendo un problema que afecta a varios clientes de tu zona y ya lo estamos revisando. No hace falta que hagas nada por ahora.",
  "billing.blocked": "Tu servicio está suspendido por un saldo pendiente. Cuando lo regularices se restablece solo.",
  "billing.no_service": "No encontramos un servicio activo a tu nombre. Te vamos a comunicar con el área administrativa para revisarlo.",
  "billing.onu_admin_disabled": "Tu servicio está suspendido desde nuestro lado. Te vamos a comunicar con el área administrativa para revisarlo.",
  "billing.secret_disabled": "Tu servicio está suspendido desde nuestro lado. Te vamos a comunicar con el área administrativa para revisarlo.",
  "onu.power_fail": "Tu equipo de internet parece estar sin luz. ¿Podés revisar que esté enchufado y encendido?",
  "onu.los":
    "No está llegando señal de fibra a tu equipo. Revisá que el cable fino que entra al módem esté bien conectado; si sigue igual, coordinamos una visita.",
  "onu.offline": "No vemos tu equipo de internet conectado. ¿Podés revisar que esté enchufado y con las luces encendidas?",
  "optical.rx_critical": "La señal que llega a tu casa está más débil de lo normal. Vamos a coordinar una visita técnica para revisarla.",
  "optical.olt_rx_critical": "La señal de tu conexión está más débil de lo normal. Vamos a coordinar una visita técnica para revisarla.",
  "optical.overload": "Detectamos un problema en la señal que llega a tu equipo. Vamos a coordinar una visita técnica para ajustarla.",
  "optical.drop_vs_median": "La señal que llega a tu casa empeoró en los últimos días. Vamos a coordinar una visita técnica para revisarla.",
  "optical.worse_than_odb_peers": "La señal que llega a tu casa está más débil de lo normal. Vamos a coordinar una visita técnica para revisarla.",
  "optical.odb_low": "Detectamos un problema en la red de tu zona que afecta tu conexión y ya lo estamos revisando.",
  "optical.pon_degrading": "Detectamos un problema en la red de tu zona que afecta tu conexión y ya lo estamos revisando.",
  "pppoe.secret_missing": "Tu conexión necesita un ajuste de nuestro lado. Ya lo estamos revisando; no hace falta que hagas nada.",
  "pppoe.new_caller_id": "Vemos que cambiaste el router. Tenemos que habilitarlo de nuestro lado; no hace falta que hagas nada.",
  "pppoe.flapping":
    "Tu router se está desconectando seguido. Probá apagarlo 30 segundos y volver a encenderlo; si sigue, lo revisamos juntos.",
  "queue.saturated": "Estás usando toda la velocidad de tu plan en este momento. Si querés, te contamos las opciones para ampliarlo.",
  all_green: "Desde nuestro lado tu conexión funciona bien. Probá acercarte al router o conectarte por cable para descartar el Wi-Fi.",
};

const CONFIRM_FIRST =
  "Estamos verificando el estado de tu conexión. ¿Podés revisar que tu equipo de internet esté enchufado y con los cables bien conectados?";

export function customerMessage(facts: TriageFacts, decision: Decision, staleDispatch: boolean, blockedBeside: boolean): string {
  if (staleDispatch) return CONFIRM_FIRST;
  let text: string;
  if (decision.ruleId === "pppoe.no_session") {
    text =
      facts.onu?.status === "online"
        ? "La fibra llega bien hasta tu casa, pero tu router no se está conectando. Probá apagarlo 30 segundos y volver a encenderlo."
        : "Tu router no se está conectando a nuestra red. Probá apagarlo 30 segundos y volver a encenderlo.";
  } else if (decision.ruleId === "onu.unstable") {
    text =
      unstableCause(facts) === "power_fail"
        ? "Tu equipo de internet se está apagando de a ratos. ¿Podés revisar que el enchufe y el cargador estén firmes?"
        : "Tu conexión se corta por un problema en la señal que llega a tu casa. Vamos a coordinar una visita técnica.";
  } else {
    text = BY_RULE[decision.ruleId] ?? BY_RULE.all_green!;
  }
  if (blockedBeside) text += " Además, tu servicio tiene un saldo pendiente: para que vuelva, también hace falta regularizarlo.";
  return text;
}
