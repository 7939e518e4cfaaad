package io.ptorrent.plugin.share;

import io.ptorrent.plugin.PtorrentPluginConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericXmlApplicationContext;
import org.springframework.core.io.ByteArrayResource;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules bean as a household writes it in its node's Spring XML. */
class ShareRulesSpringXmlTest {
    @Test
    void theBeanLoadsFromSpringXmlInsideThePluginConfiguration() {
        String xml = """
                <beans xmlns="http://www.springframework.org/schema/beans"
                       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                       xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd">
                  <bean id="ptorrent" class="io.ptorrent.plugin.PtorrentPluginConfiguration">
                    <property name="sharedCores" value="2"/>
                    <property name="shareRules">
                      <bean class="io.ptorrent.plugin.share.ShareRulesConfiguration">
                        <property name="cores" value="2"/>
                        <property name="cpuPercent" value="80"/>
                        <property name="timeZone" value="Europe/Berlin"/>
                        <property name="windows"><list><value>Mon-Fri 22:00-07:00</value><value>Sat-Sun</value></list></property>
                        <property name="activeCores" value="1"/>
                        <property name="activeCpuPercent" value="50"/>
                        <property name="onlyAfterIdleMinutes" value="5"/>
                        <property name="acceptHarbors"><list><value>home</value></list></property>
                      </bean>
                    </property>
                  </bean>
                </beans>
                """;
        try (GenericXmlApplicationContext ctx = new GenericXmlApplicationContext()) {
            ctx.setValidating(false);
            ctx.load(new ByteArrayResource(xml.getBytes(StandardCharsets.UTF_8)));
            ctx.refresh();
            PtorrentPluginConfiguration cfg = ctx.getBean(PtorrentPluginConfiguration.class);

            ShareRules rules = ShareRules.from(cfg.getShareRules(), 4, 8192);

            assertThat(rules.cores()).isEqualTo(2);
            assertThat(rules.cpuPercent()).isEqualTo(80);
            assertThat(rules.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
            assertThat(rules.windows()).extracting(WeeklyWindow::toString).containsExactly("Mon,Tue,Wed,Thu,Fri 22:00-07:00", "Sat,Sun");
            assertThat(rules.activeCores()).isEqualTo(1);
            assertThat(rules.activeCpuPercent()).isEqualTo(50);
            assertThat(rules.idleCores()).isEqualTo(2);
            assertThat(rules.onlyAfterIdle().toMinutes()).isEqualTo(5);
            assertThat(rules.acceptHarbors()).containsExactly("home");
        }
    }

    @Test
    void withoutRulesThePluginConfigurationHasNone() {
        assertThat(new PtorrentPluginConfiguration().getShareRules()).isNull();
    }
}
