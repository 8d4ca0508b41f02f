import { useEffect, useState } from "preact/hooks";

/** Copies `text`; says so in a live region. Falls back to a selection copy where the Clipboard API is absent (plain http). */
export function CopyButton({ text, label, id }: { text: string; label: string; id: string }) {
  const [said, setSaid] = useState("");
  useEffect(() => {
    if (!said) return;
    const t = setTimeout(() => setSaid(""), 4000);
    return () => clearTimeout(t);
  }, [said]);
  const copy = async (): Promise<void> => {
    const ok = await copyText(text);
    setSaid(ok ? "Copiado." : "No se pudo copiar: seleccioná el texto y copialo a mano.");
  };
  return (
    <span class="copy">
      <button type="button" class="btn" id={id} onClick={copy} disabled={text === ""}>{label}</button>
      <span class="copy-said" role="status">{said}</span>
    </span>
  );
}

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (permissions): try the old way.
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "offscreen";
  document.body.append(area);
  area.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
